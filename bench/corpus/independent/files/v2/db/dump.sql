-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'svc_app1@shop.test','$2a$12$CteyXnlyq6hj7gyKNt0BMJIXaqGWyiOgC1Vz8YlD8bV1CPksPbdC4',NULL);
INSERT INTO `users` VALUES (2,'bob2@shop.test','$1$Amuvnu8G$g.6hp9VUTFjowl045Jz9pI',NULL);
INSERT INTO `users` VALUES (3,'svc_app3@shop.test','$2a$10$urwfCG6oQTTuY4fnD6DGubImV03Jnh.y3bRuoeHK10JGMOD72cjiE',NULL);
INSERT INTO `users` VALUES (4,'bob4@shop.test','$1$jso84RYb$kzhBgv6pD9h8TWgiqeQub3',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','8b71f9fcce50933b071faef61ed663155193df2965efff86ee55ec65c834452e');
