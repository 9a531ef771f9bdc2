-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
-- Host: localhost    Database: shop
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (`id` int NOT NULL, `email` varchar(191),
  `password` varchar(255) NOT NULL, `remember_token` varchar(100)) ENGINE=InnoDB;
LOCK TABLES `users` WRITE;
INSERT INTO `users` VALUES (1,'ops1@shop.test','$2b$10$4n0SKyFMfP4aJg6zilGNqZ2RfeyshxjdzrFtKl3eLuhjKkgBSqVtB',NULL);
INSERT INTO `users` VALUES (2,'ops2@shop.test','$1$CRjV1kd1$qB.azKuvwjoLKvFbTStoK.',NULL);
INSERT INTO `users` VALUES (3,'bob3@shop.test','$2b$12$/3qInRzKdL4v.o.1X1fl5VHxDs9NSOd4CaDBXnIUI.d3xl2V7P38r',NULL);
INSERT INTO `users` VALUES (4,'ops4@shop.test','$1$KxkZ0UCz$.YLQUaTWnJOU3E2mjQ/QDQ',NULL);
INSERT INTO `users` VALUES (9,'guest@shop.test','',NULL);
UNLOCK TABLES;
INSERT INTO `settings` VALUES ('theme','dark'),('currency','EUR');
INSERT INTO `files` VALUES (1,'logo.png','ee3dd22b3402f74c5e29f960c3b1b8496a5d64d42a8c278ceed5ba24ca11a2a1');
